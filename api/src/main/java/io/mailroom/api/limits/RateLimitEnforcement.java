package io.mailroom.api.limits;

import io.mailroom.api.web.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Takes a request from the caller's allowance for every endpoint marked {@link RateLimit}. */
@Configuration(proxyBeanMethods = false)
class RateLimitEnforcement implements WebMvcConfigurer {

	/** After the role check (order 0): a refused role costs no allowance. */
	static final int ORDER = 10;

	private final RateLimits limits;

	RateLimitEnforcement(RateLimits limits) {
		this.limits = limits;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new HandlerInterceptor() {

			@Override
			public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
				RateLimit limit = handler instanceof HandlerMethod method ? method.getMethodAnnotation(RateLimit.class)
						: null;
				Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
				if (limit != null && authentication != null && authentication.getPrincipal() instanceof Caller caller) {
					limits.acquire(caller.accountId(), limit.value());
				}
				return true;
			}

		}).addPathPatterns("/api/**").order(ORDER);
	}

}
