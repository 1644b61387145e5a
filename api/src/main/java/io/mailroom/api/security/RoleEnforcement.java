package io.mailroom.api.security;

import java.util.List;

import io.mailroom.api.web.Caller;
import io.mailroom.api.web.Forbidden;
import io.mailroom.api.web.RequiresRole;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Enforces {@link RequiresRole}: before a handler reads the request, the caller's role must include the
 * handler's. Every {@code /api/**} handler must declare its role; the api does not start with one that does
 * not, and a request that reaches one anyway is refused (closed by default).
 */
@Configuration(proxyBeanMethods = false)
class RoleEnforcement implements WebMvcConfigurer, SmartInitializingSingleton {

	private final ListableBeanFactory beans;

	RoleEnforcement(ListableBeanFactory beans) {
		this.beans = beans;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new RoleCheck()).addPathPatterns("/api/**").order(0);
	}

	/** Fails the start when an {@code /api/**} handler declares no role. */
	@Override
	public void afterSingletonsInstantiated() {
		List<String> undeclared = beans.getBeansOfType(RequestMappingHandlerMapping.class)
			.values()
			.stream()
			.flatMap(mapping -> mapping.getHandlerMethods().entrySet().stream())
			.filter(handler -> isApi(handler.getKey()) && role(handler.getValue()) == null)
			.map(handler -> handler.getValue().toString())
			.toList();
		if (!undeclared.isEmpty()) {
			throw new IllegalStateException("These /api handlers declare no @RequiresRole: " + undeclared);
		}
	}

	private static boolean isApi(RequestMappingInfo mapping) {
		return mapping.getPatternValues().stream().anyMatch(pattern -> pattern.startsWith("/api/"));
	}

	private static RequiresRole role(HandlerMethod handler) {
		return handler.getMethodAnnotation(RequiresRole.class);
	}

	private static final class RoleCheck implements HandlerInterceptor {

		@Override
		public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
			if (!(handler instanceof HandlerMethod method)) {
				return true;
			}
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			RequiresRole needed = role(method);
			if (!(authentication != null && authentication.getPrincipal() instanceof Caller caller)
					|| needed == null) {
				throw new IllegalStateException("No caller or no declared role for " + method);
			}
			if (!caller.role().includes(needed.value())) {
				throw new Forbidden(caller, needed.value());
			}
			return true;
		}

	}

}
